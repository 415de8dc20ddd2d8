; writes the low byte of every auxv key (the auxiliary vector layout of a 6.x kernel) and the AT_PLATFORM string
%include "elf64-header.inc"
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
