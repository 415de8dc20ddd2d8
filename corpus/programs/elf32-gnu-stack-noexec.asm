; Code in a PF_R-only segment with a PT_GNU_STACK (RW): no READ_IMPLIES_EXEC, so the first fetch faults (SIGSEGV)
%define P_FLAGS 4
%define E_PHNUM 2
%macro extra_phdrs 0
  dd 0x6474e551, 0, 0, 0, 0, 0, 6, 16
%endmacro
%include "elf32-header.inc"
_start:
  mov ebx, 42
  mov eax, 1
  int 0x80
filesize equ $ - $$
