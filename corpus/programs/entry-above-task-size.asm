; e_entry above TASK_SIZE: killed at exec
BITS 64
org 0x400000
ehdr:
  db 0x7f, "ELF", 2, 1, 1, 0
  times 8 db 0
  dw 2, 62
  dd 1
  dq 0x800000000000
  dq phdr - $$
  dq 0
  dd 0
  dw 64, 56, 1, 64, 0, 0
phdr:
  dd 1, 5
  dq 0, $$, $$
  dq filesize, filesize
  dq 0x1000
_start:
  mov eax, 1
  mov edi, 1
  lea rsi, [rel msg]
  mov edx, msglen
  syscall
  xor edi, edi
  mov eax, 60
  syscall
msg: db "Hello, World!", 10
msglen equ $ - msg
filesize equ $ - $$
