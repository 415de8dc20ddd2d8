; write(0, NULL, 5): -EBADF (-9) unless stdin is open for writing, where the unreadable buffer
; gives -EFAULT (-14). Exits with rax + 64: 55 or 50.
%include "elf64-header.inc"
_start:
  mov eax, 1
  xor edi, edi
  xor esi, esi
  mov edx, 5
  syscall
  lea edi, [rax + 64]
  mov eax, 60
  syscall
filesize equ $ - $$
