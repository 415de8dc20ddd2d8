; Memory operands: base + index*scale + displacement, absolute and RIP-relative addresses, negative
; displacements and indexes, address arithmetic modulo 2^64; with RFLAGS.AC, which accesses are fine
; (those that would fault are cases of faults/faults.asm).
%include "check.inc"
byte_99:
  db 0x99
  align 8
qword_data:
  dq 0x8877665544332211

_start:
  ; lea: base + index*scale + disp with a negative index
  mov ebx, 0x100
  mov rcx, -2
  lea rax, [rbx + rcx*4 + 8]
  expect rax, 0x100
  lea rax, [rbx + rcx*8 - 0x10]
  expect rax, 0xe0
  lea eax, [rcx + 1]
  expect_value rax, 0xffffffff
  ; an absolute disp32 (nasm encodes [abs x] as SIB with neither base nor index) and rip-relative
  mov dl, [abs byte_99]
  expect dl, 0x99
  mov dl, [rel byte_99]
  expect dl, 0x99
  mov rax, [rel qword_data]
  expect_value rax, 0x8877665544332211
  mov ecx, 3
  movzx eax, byte [abs qword_data + rcx]
  expect eax, 0x44

  ; a negative displacement subtracts from the base
  sub rsp, 32
  mov qword [rsp], 0x2211
  lea rdi, [rsp + 0x61]
  push qword [rdi - 0x61]
  pop rbx
  expect rbx, 0x2211
  mov rbx, 0x0807060504030201
  mov [rsp + 8], rbx
  ; address arithmetic wraps modulo 2^64: base + disp, index*scale and base + index
  lea rdi, [rsp - 16]
  mov rax, [rdi + 24]
  expect rax, rbx
  mov rcx, 0x4000000000000000
  mov rax, [rsp + rcx*4 + 8]
  expect rax, rbx
  mov rdi, rsp
  btc rdi, 63
  mov rcx, 0x8000000000000008
  mov rax, [rdi + rcx]
  expect rax, rbx
  mov rdi, -8
  lea rcx, [rsp + 16]
  mov rax, [rdi + rcx]
  expect rax, rbx

  ; with AC set: byte accesses, and aligned wider ones, never fault
  mov qword [rsp + 16], 0
  push AC | IF | 2
  popfq
  mov al, [rsp + 9]
  mov byte [rsp + 17], al
  mov ax, [rsp + 10]
  mov rdx, [rsp + 8]
  push 0x202
  popfq
  expect al, 3
  expect ax, 0x0403
  expect rdx, rbx
  expect byte [rsp + 17], 2
  ; without AC misaligned accesses are fine
  mov eax, [rsp + 9]
  expect eax, 0x05040302
  mov rax, [rsp + 15]
  expect rax, 0x020008
  add rsp, 32
  checks_done
