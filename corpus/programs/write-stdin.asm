; write(0, "to fd0", 6): -EBADF (-9) unless stdin is open for writing, where it returns 6.
; Exits with rax + 64: 55, or 70 on a read-write stdin (which then received "to fd0").
%include "elf64-header.inc"
_start:
  mov eax, 1
  xor edi, edi
  mov esi, message
  mov edx, 6
  syscall
  lea edi, [rax + 64]
  mov eax, 60
  syscall
message: db "to fd0"
filesize equ $ - $$
