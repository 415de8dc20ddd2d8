; 129 program headers (4128 bytes): accepted from 6.17 (64 KiB cap), refused by 6.16 and older (one page). Exits 42
%define E_PHNUM 129
%macro extra_phdrs 0
  times 128 * 32 db 0
%endmacro
%include "elf32-header.inc"
_start:
  mov ebx, 42
  mov eax, 1
  int 0x80
filesize equ $ - $$
