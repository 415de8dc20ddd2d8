; e_entry 0xffffe000: not below a 32-bit process's TASK_SIZE (0xffffe000), killed after the point of no return (SIGSEGV)
%define E_ENTRY 0xffffe000
%include "elf32-header.inc"
_start:
  mov ebx, 42
  mov eax, 1
  int 0x80
filesize equ $ - $$
