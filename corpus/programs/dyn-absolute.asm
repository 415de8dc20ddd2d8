; ET_DYN with an absolute address of its message: the kernel loads it elsewhere, write gets -EFAULT (14)
%define E_TYPE 3
%include "elf64-header.inc"
_start:
  mov eax, 1
  mov edi, 1
  mov esi, msg
  mov edx, 5
  syscall
  mov edi, eax
  neg edi
  mov eax, 60
  syscall
msg: db "hello"
filesize equ $ - $$
