; The stack and memory: push/pop of registers, immediates and memory, pushfq/popfq, xchg with
; memory, string instructions with rep and the direction flag, loop and jrcxz, syscall's rcx/r11.
%include "check.inc"
_start:
  mov rbx, rsp
  ; push imm8 sign-extends to 64 bits
  push -1
  pop rax
  expect rax, -1
  expect rsp, rbx
  ; push and pop of memory
  mov rax, 0x1122334455667788
  push rax
  push qword [rsp]
  pop rcx
  pop rdx
  expect rcx, rdx
  expect_value rcx, 0x1122334455667788
  ; pop into memory
  sub rsp, 16
  push 42
  pop qword [rsp + 8]
  expect qword [rsp + 8], 42
  add rsp, 16
  expect rsp, rbx
  ; pushfq / popfq carry CF
  stc
  pushfq
  clc
  popfq
  expect_flags CF, CF
  ; xchg with memory
  push 5
  mov eax, 9
  xchg [rsp], rax
  expect rax, 5
  expect qword [rsp], 9
  pop rax

  ; rep stosb fills forward and leaves rcx = 0
  sub rsp, 64
  mov rdi, rsp
  mov al, 0xab
  mov ecx, 16
  cld
  rep stosb
  expect rcx, 0
  lea rdx, [rsp + 16]
  expect rdi, rdx
  expect_value qword [rsp + 8], 0xabababababababab
  ; rep movsb copies
  mov rsi, rsp
  lea rdi, [rsp + 32]
  mov ecx, 8
  rep movsb
  expect_value qword [rsp + 32], 0xabababababababab
  ; std: lodsb walks down
  mov byte [rsp + 40], 0x5a
  lea rsi, [rsp + 40]
  std
  lodsb
  cld
  expect al, 0x5a
  lea rdx, [rsp + 39]
  expect rsi, rdx
  add rsp, 64
  expect rsp, rbx

  ; loop counts rcx down; jrcxz tests it
  mov ecx, 3
  xor eax, eax
.again:
  inc eax
  loop .again
  expect eax, 3
  expect rcx, 0
  mov eax, 1
  jrcxz .zero
  mov eax, 2
.zero:
  expect eax, 1

  ; syscall: rcx = the next instruction, r11 = rflags (CF set here)
  lea r13, [rel .after]
  stc
  mov eax, 39
  syscall
.after:
  expect rcx, r13
  and r11, CF
  expect r11, CF
  checks_done
