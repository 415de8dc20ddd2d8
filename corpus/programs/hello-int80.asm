; write + exit through int 0x80 (32-bit table, 32-bit pointers)
%include "elf64-header.inc"
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
