; The same code on the stack with a PT_GNU_STACK (RW): the stack is not executable, jmp esp faults (SIGSEGV)
%define E_PHNUM 2
%macro extra_phdrs 0
  dd 0x6474e551, 0, 0, 0, 0, 0, 6, 16
%endmacro
%include "elf32-header.inc"
_start:
  push dword 0x000080cd       ; int 0x80
  push dword 0x01b02ab3       ; mov bl, 42 / mov al, 1
  jmp esp
filesize equ $ - $$
