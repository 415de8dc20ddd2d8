; writes the low byte of every auxv key (the auxiliary vector layout of a 6.x kernel) and the AT_PLATFORM string
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
  dq filesize, filesize
  dq 0x1000
_start:
  mov rbx, rsp
  mov rcx, [rbx]
  lea rbx, [rbx + rcx*8 + 16]   ; envp
.env:
  add rbx, 8
  cmp qword [rbx - 8], 0
  jne .env
  sub rsp, 256
  mov rdi, rsp
  xor r12, r12
.aux:
  mov rax, [rbx]
  stosb
  cmp rax, 15
  jne .next
  mov r12, [rbx + 8]
.next:
  add rbx, 16
  test rax, rax
  jnz .aux
  mov rsi, r12
  mov ecx, 7
  rep movsb
  mov rdx, rdi
  sub rdx, rsp
  mov rsi, rsp
  mov eax, 1
  mov edi, 1
  syscall
  xor edi, edi
  mov eax, 60
  syscall
filesize equ $ - $$
