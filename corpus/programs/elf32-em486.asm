; e_machine EM_486 (6): the compat loader takes it like EM_386. Exits 42
%define E_MACHINE 6
%include "elf32-header.inc"
_start:
  mov ebx, 42
  mov eax, 1
  int 0x80
filesize equ $ - $$
