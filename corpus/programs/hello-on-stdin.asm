; Writes "Hello, World!\n" to fd 0 instead of fd 1, then exit(0): on a terminal (stdin, stdout and
; stderr the same read-write device) a person sees it, but nothing reaches stdout.
%include "elf64-header.inc"
_start:
  mov eax, 1
  xor edi, edi
  mov esi, message
  mov edx, 14
  syscall
  xor edi, edi
  mov eax, 60
  syscall
message: db "Hello, World!", 10
filesize equ $ - $$
