; hlt in user mode: SIGSEGV
%include "elf64-header.inc"
_start:
  hlt
filesize equ $ - $$
