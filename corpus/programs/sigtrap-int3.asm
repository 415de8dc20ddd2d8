; int3: SIGTRAP
%include "elf64-header.inc"
_start:
  int3
filesize equ $ - $$
