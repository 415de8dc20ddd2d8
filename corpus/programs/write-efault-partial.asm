; write of a buffer whose tail is unmapped: the socket write copies nothing, -EFAULT (14)
%include "elf64-header.inc"
_start:
  mov eax, 1
  mov edi, 1
  lea rsi, [rel last]
  mov edx, 100
  syscall
  mov edi, eax
  neg edi
  mov eax, 60
  syscall
  times 4096 - ($ - $$) - 10 db 0x41
last: db "0123456789"
filesize equ $ - $$
