; e_phentsize 56 (the ELF64 size) in an ELF32 file: the compat loader refuses it (ENOEXEC)
%define E_PHENTSIZE 56
%include "elf32-header.inc"
_start:
  mov ebx, 42
  mov eax, 1
  int 0x80
filesize equ $ - $$
