; touches 4 MiB below the initial rsp (the stack grows up to 8 MiB), then 9 MiB below (SIGSEGV)
%include "elf64-header.inc"
_start:
  mov byte [rsp - 4*1024*1024], 1
  mov eax, 1
  mov edi, 1
  lea rsi, [rel msg]
  mov edx, 3
  syscall
  mov byte [rsp - 9*1024*1024], 1
  xor edi, edi
  mov eax, 60
  syscall
msg: db "ok", 10
filesize equ $ - $$
