; 06 (push es) is invalid in 64-bit mode: SIGILL
%include "elf64-header.inc"
_start:
  db 0x06
filesize equ $ - $$
