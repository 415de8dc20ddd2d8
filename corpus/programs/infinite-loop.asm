; jmp $: never ends (step limit / timeout)
%include "elf64-header.inc"
_start:
  jmp $
filesize equ $ - $$
