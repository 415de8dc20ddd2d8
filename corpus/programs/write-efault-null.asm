; write from address 16 (unmapped): -EFAULT (14)
%include "elf64-header.inc"
_start:
  mov eax, 1
  mov edi, 1
  mov esi, 16
  mov edx, 5
  syscall
  mov edi, eax
  neg edi
  mov eax, 60
  syscall
filesize equ $ - $$
