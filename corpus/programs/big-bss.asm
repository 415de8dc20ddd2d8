; 4.3 GiB of anonymous memory after the code: needs the memory-commit policy to allow it; touches its last page
BITS 64
org 0x400000
ehdr:
  db 0x7f, "ELF", 2, 1, 1, 0
  times 8 db 0
  dw 2, 62
  dd 1
  dq _start
  dq phdr - $$
  dq 0
  dd 0
  dw 64, 56, 1, 64, 0, 0
phdr:
  dd 1, 7
  dq 0, $$, $$
  dq filesize, 0x113000000
  dq 0x1000
_start:
  mov rax, 0x400000 + 0x113000000 - 8
  mov qword [rax], 1
  mov edi, [rax]
  mov eax, 60
  syscall
filesize equ $ - $$
