; p_vaddr 0xfffff000: above a 32-bit process's TASK_SIZE (0xffffe000), so the segment cannot be mapped (SIGSEGV)
%define ORG 0xfffff000
%include "elf32-header.inc"
_start:
  mov ebx, 42
  mov eax, 1
  int 0x80
filesize equ $ - $$
