; PT_GNU_STACK with PF_X: code copied to the stack runs; exits 5
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
  dw 64, 56, 2, 64, 0, 0
phdr:
  dd 1, 5
  dq 0, $$, $$
  dq filesize, filesize
  dq 0x1000
  dd 0x6474e551, 7
  dq 0, 0, 0, 0, 0, 16
_start:
  mov dword [rsp - 16], 0x000005bf   ; bf 05 00 00 00: mov edi, 5
  mov dword [rsp - 12], 0x003cb800   ; b8 3c 00 00 00: mov eax, 60
  mov dword [rsp - 8], 0x050f0000    ; 0f 05: syscall
  lea rax, [rsp - 16]
  jmp rax
filesize equ $ - $$
