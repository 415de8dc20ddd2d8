; arithmetic, shifts, multiply/divide, flags: writes the final registers (48 bytes)
%include "elf64-header.inc"
_start:
  mov rax, 0x123456789abcdef0
  mov rbx, 0x0fedcba987654321
  add rax, rbx
  adc rbx, rax
  sub rax, 12345
  sbb rbx, rax
  imul rax, rbx
  mov rcx, 0x1234567
  xor edx, edx
  div rcx
  rol rbx, 13
  shr rax, 3
  sar rdx, 1
  shld rbx, rax, 7
  bswap rcx
  neg rdx
  not rax
  lea rsi, [rax + rbx*4 + 0x55]
  imul esi, esi, -7
  movsx rdi, si
  cqo
  cmp rax, rbx
  push rdi
  push rsi
  push rdx
  push rcx
  push rbx
  push rax
  pushfq
  and qword [rsp], 0x8d5
  mov eax, 1
  mov edi, 1
  mov rsi, rsp
  mov edx, 56
  syscall
  xor edi, edi
  mov eax, 60
  syscall
filesize equ $ - $$
