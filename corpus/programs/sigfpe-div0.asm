; div by zero: SIGFPE
%include "elf64-header.inc"
_start:
  xor ecx, ecx
  mov eax, 1
  div ecx
filesize equ $ - $$
