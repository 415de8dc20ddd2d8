; read from stdin (/dev/null): 0 bytes; exits with rax + 7
%include "elf64-header.inc"
_start:
  xor eax, eax
  xor edi, edi
  lea rsi, [rsp - 64]
  mov edx, 10
  syscall
  lea edi, [rax + 7]
  mov eax, 60
  syscall
filesize equ $ - $$
