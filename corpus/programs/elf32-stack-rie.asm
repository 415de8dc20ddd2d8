; Runs code it pushed on the stack: without PT_GNU_STACK a 32-bit file's stack is executable (READ_IMPLIES_EXEC). Exits 42
%include "elf32-header.inc"
_start:
  push dword 0x000080cd       ; int 0x80
  push dword 0x01b02ab3       ; mov bl, 42 / mov al, 1
  jmp esp
filesize equ $ - $$
