; read(0, NULL, 0): 0 when stdin is open for reading (any kind), -EBADF (-9) when it is closed.
; Exits with rax + 64: 64 or 55.
%include "elf64-header.inc"
_start:
  xor eax, eax
  xor edi, edi
  xor esi, esi
  xor edx, edx
  syscall
  lea edi, [rax + 64]
  mov eax, 60
  syscall
filesize equ $ - $$
