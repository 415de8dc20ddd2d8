; RW segment with p_memsz > p_filesz: the rest of the last file page is zeroed; exit code = OR of those bytes (0)
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
  dq fileend, 0x3000
  dq 0x1000
_start:
  lea rsi, [rel $$ + fileend]
  xor eax, eax
  mov ecx, 32
.l:
  or al, [rsi]
  inc rsi
  loop .l
  mov edi, eax
  mov eax, 60
  syscall
fileend equ $ - $$
  times 32 db 0x2a
filesize equ $ - $$
