; Code in a PF_R-only segment and no PT_GNU_STACK: a 32-bit file gets READ_IMPLIES_EXEC, so the segment is executable. Exits 42
%define P_FLAGS 4
%include "elf32-header.inc"
_start:
  mov ebx, 42
  mov eax, 1
  int 0x80
filesize equ $ - $$
