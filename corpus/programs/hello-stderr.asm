; write to fd 2, exit(3)
%include "elf64-header.inc"
_start:
  mov eax, 1
  mov edi, 2
  lea rsi, [rel msg]
  mov edx, msglen
  syscall
  mov edi, 3
  mov eax, 231
  syscall
msg: db "to stderr", 10
msglen equ $ - msg
filesize equ $ - $$
