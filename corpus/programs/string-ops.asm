; rep movsb/stosb/scasb, lodsb, cmpsb, loop and setcc/cmov: writes a built string
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
  dq filesize, filesize + 4096
  dq 0x1000
_start:
  lea rsi, [rel src]
  lea rdi, [rel buf]
  mov ecx, srclen
  rep movsb
  mov al, '!'
  mov ecx, 3
  rep stosb
  lea rdi, [rel buf]
  mov al, 'W'
  mov ecx, 64
  repne scasb
  setz bl
  add bl, '0'
  mov [rel buf + 20], bl
  lea rsi, [rel src]
  lea rdi, [rel buf]
  mov ecx, srclen
  repe cmpsb
  sete cl
  mov eax, 'N'
  mov edx, 'Y'
  test cl, cl
  cmovnz eax, edx
  mov [rel buf + 21], al
  mov byte [rel buf + 22], 10
  mov eax, 1
  mov edi, 1
  lea rsi, [rel buf]
  mov edx, 23
  syscall
  xor edi, edi
  mov eax, 60
  syscall
src: db "Hello, World"
srclen equ $ - src
buf equ $$ + filesize + 64
filesize equ $ - $$
