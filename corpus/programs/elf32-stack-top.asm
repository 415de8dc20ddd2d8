; Exit code = the top byte of esp at entry: a 32-bit stack lies within 8 MiB below 0xffffe000, so 255
%include "elf32-header.inc"
_start:
  mov ebx, esp
  shr ebx, 24
  mov eax, 1
  int 0x80
filesize equ $ - $$
