; int 0x80 write of a stack buffer: the pointer is truncated to 32 bits, -EFAULT (14)
BITS 64
org 0x400000
ehdr:
  db 0x7f, "ELF", 2, 1, 1, 0
  times 8 db 0
  dw 2, 62
  dd 1
  dq _start
  dq phdr - $$
  dq 0
  dd 0
  dw 64, 56, 1, 64, 0, 0
phdr:
  dd 1, 5
  dq 0, $$, $$
  dq filesize, filesize
  dq 0x1000
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
