; String instructions: stos, movs, scas, cmps, lods with rep/repe/repne and the direction flag, on a
; zeroed buffer on the stack.
%include "check.inc"
_start:
  sub rsp, 0x200
  mov rdi, rsp
  xor eax, eax
  mov ecx, 0x200 / 8
  cld
  rep stosq
  expect rcx, 0
  lea rdx, [rsp + 0x200]
  expect rdi, rdx

  ; rep stosb fills rcx bytes upward: five here, the sixth stays 0
  mov rdi, rsp
  mov eax, 0x41
  mov ecx, 5
  rep stosb
  expect_value qword [rsp], 0x4141414141
  lea rdx, [rsp + 5]
  expect rdi, rdx
  expect rcx, 0
  ; with rcx = 0 rep does nothing
  mov al, 0x42
  rep stosb
  expect rdi, rdx
  expect byte [rsp + 5], 0

  ; std; rep movsb copies downward, from the last byte
  mov dword [rsp], 0x030201
  lea rsi, [rsp + 2]
  lea rdi, [rsp + 0x102]
  mov ecx, 3
  std
  rep movsb
  expect_flags DF, DF
  cld
  expect dword [rsp + 0x100], 0x030201
  lea rdx, [rsp - 1]
  expect rsi, rdx
  lea rdx, [rsp + 0xff]
  expect rdi, rdx
  ; std; stosd steps rdi down by 4
  lea rdi, [rsp + 0x120]
  mov eax, 0x11223344
  std
  stosd
  cld
  expect dword [rsp + 0x120], 0x11223344
  lea rdx, [rsp + 0x11c]
  expect rdi, rdx

  ; repne scasb stops at the byte equal to al, one past it, with ZF set
  mov rax, 0x0900070605
  mov [rsp + 0x20], rax
  lea rdi, [rsp + 0x20]
  mov ecx, 100
  xor eax, eax
  repne scasb
  expect_flags ZF, ZF
  lea rdx, [rsp + 0x24]
  expect rdi, rdx
  expect rcx, 96

  ; repe cmpsb stops past the first difference, with the flags of that compare ('c' < 'x')
  mov dword [rsp + 0x40], 'abcd'
  mov dword [rsp + 0x48], 'abxd'
  lea rsi, [rsp + 0x40]
  lea rdi, [rsp + 0x48]
  mov ecx, 4
  repe cmpsb
  expect_flags CF | ZF, CF
  expect rcx, 1
  lea rdx, [rsp + 0x43]
  expect rsi, rdx

  ; rep movsq, then lodsq reads it back
  mov rax, 0x0123456789abcdef
  mov [rsp + 0x60], rax
  not rax
  mov [rsp + 0x68], rax
  lea rsi, [rsp + 0x60]
  lea rdi, [rsp + 0x80]
  mov ecx, 2
  rep movsq
  lea rsi, [rsp + 0x88]
  lodsq
  expect_value rax, 0xfedcba9876543210
  lea rdx, [rsp + 0x90]
  expect rsi, rdx
  add rsp, 0x200
  checks_done
