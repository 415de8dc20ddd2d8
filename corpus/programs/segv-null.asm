; read from address 0: SIGSEGV
%include "elf64-header.inc"
_start:
  mov eax, [0]
  xor edi, edi
  mov eax, 60
  syscall
filesize equ $ - $$
