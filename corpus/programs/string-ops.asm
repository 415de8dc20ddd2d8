; rep movsb/stosb/scasb, lodsb, cmpsb, loop and setcc/cmov: writes a built string
%define P_FLAGS 7
%define P_MEMSZ filesize + 4096
%include "elf64-header.inc"
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
