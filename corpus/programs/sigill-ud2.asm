; ud2: SIGILL
%include "elf64-header.inc"
_start:
  ud2
filesize equ $ - $$
