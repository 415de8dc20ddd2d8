; A plain 32-bit program: write(1, msg, 14) and exit(0) through int 0x80
%include "elf32-header.inc"
_start:
  mov eax, 4
  mov ebx, 1
  mov ecx, msg
  mov edx, msglen
  int 0x80
  mov eax, 1
  xor ebx, ebx
  int 0x80
msg: db "Hello, World!", 10
msglen equ $ - msg
filesize equ $ - $$
