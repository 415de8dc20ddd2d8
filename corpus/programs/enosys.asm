; syscall 400 does not exist: -ENOSYS (38)
%include "elf64-header.inc"
_start:
  mov eax, 400
  syscall
  mov edi, eax
  neg edi
  mov eax, 60
  syscall
filesize equ $ - $$
