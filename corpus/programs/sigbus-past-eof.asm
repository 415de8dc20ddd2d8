; p_filesz two pages past the end of the file: touching a page wholly past EOF raises SIGBUS
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
  dd 1, 5
  dq 0, $$, $$
  dq 0x3000, 0x3000
  dq 0x1000
_start:
  mov eax, [rel _start + 0x1000]
  xor edi, edi
  mov eax, 60
  syscall
filesize equ $ - $$
