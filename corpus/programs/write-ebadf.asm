; write to fd 5 (not open): exits with -rax = EBADF (9)
%include "elf64-header.inc"
_start:
  mov eax, 1
  mov edi, 5
  lea rsi, [rel _start]
  mov edx, 4
  syscall
  mov edi, eax
  neg edi
  mov eax, 60
  syscall
filesize equ $ - $$
