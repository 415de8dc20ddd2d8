; read(0, 0x10000, 5) into an unmapped (but user) address: /dev/null returns 0 without touching
; the buffer (64); a read-write stdin with no input waits; a closed one gives -EBADF (55).
%include "elf64-header.inc"
_start:
  xor eax, eax
  xor edi, edi
  mov esi, 0x10000
  mov edx, 5
  syscall
  lea edi, [rax + 64]
  mov eax, 60
  syscall
filesize equ $ - $$
