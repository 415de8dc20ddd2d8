; int 0x80 write of a stack buffer: the pointer is truncated to 32 bits, -EFAULT (14)
%include "elf64-header.inc"
_start:
  push 0x41424344
  mov eax, 4
  mov ebx, 1
  mov rcx, rsp
  mov edx, 4
  int 0x80
  mov ebx, eax
  neg ebx
  mov eax, 1
  int 0x80
filesize equ $ - $$
