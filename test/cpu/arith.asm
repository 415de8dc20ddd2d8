; Integer arithmetic: register writes (spl versus ah), add/adc/sub/sbb, inc/dec, neg, mul/imul/div,
; sign extension, and the flags each sets.
%include "check.inc"
_start:
  ; 32-bit writes zero-extend; 8- and 16-bit writes merge; ah is bits 8-15
  mov rax, -1
  mov ax, 0x7788
  mov al, 0x12
  mov ah, 0x34
  expect_value rax, 0xffffffffffff3412
  mov rbx, -1
  mov ebx, ebx
  expect_value rbx, 0xffffffff
  ; with a REX prefix, register 4 of a byte write is spl (bits 0-7 of rsp), not ah
  mov r13, rsp
  mov spl, 0x56
  mov rdx, r13
  mov dl, 0x56
  expect rsp, rdx
  mov rsp, r13

  ; add: carry out of both halves, and the flags of a zero result
  mov rax, -1
  mov rbx, 1
  add rax, rbx
  expect_flags ARITH, CF | PF | AF | ZF
  expect rax, 0
  ; signed overflow into the sign bit
  mov rax, 0x7fffffffffffffff
  add rax, 1
  expect_flags ARITH, OF | SF | AF | PF
  expect_value rax, 0x8000000000000000
  ; 32-bit sub borrows and zero-extends
  mov rax, -1
  mov eax, 0
  sub eax, 1
  expect_flags ARITH, CF | PF | AF | SF
  expect_value rax, 0xffffffff

  ; adc and sbb use CF
  stc
  mov eax, 1
  adc eax, 1
  expect eax, 3
  clc
  mov eax, 0
  sbb eax, 0
  expect eax, 0
  stc
  sbb eax, 0
  expect eax, -1

  ; inc and dec keep CF
  stc
  mov eax, -1
  inc eax
  expect_flags CF | ZF | SF, CF | ZF
  clc
  mov ecx, 0
  dec ecx
  expect_flags CF | ZF | SF, SF
  expect ecx, -1

  ; neg: CF unless the operand was 0
  mov eax, 5
  neg eax
  expect_flags CF | ZF, CF
  expect eax, -5
  xor eax, eax
  neg eax
  expect_flags CF | ZF, ZF

  ; mul: the 128-bit product in rdx:rax, CF = OF = high half nonzero
  mov rax, 0xfedcba9876543210
  mov rbx, 0x123456789abcdef1
  mul rbx
  expect_flags CF | OF, CF | OF
  expect_value rax, 0x224a4396cc6d0110
  expect_value rdx, 0x121fa00ad77d7423
  ; imul with a sign-extended imm8
  mov rbx, 7
  imul rax, rbx, -3
  expect_flags CF | OF, 0
  expect rax, -21
  ; div: rdx:rax / r/m
  mov rdx, 5
  mov rax, 123
  mov rbx, 0x100000000
  div rbx
  expect_value rax, 0x500000000
  expect rdx, 123
  ; idiv rounds toward zero, the remainder takes the dividend's sign
  mov rax, -7
  cqo
  expect rdx, -1
  mov rcx, 2
  idiv rcx
  expect rax, -3
  expect rdx, -1

  ; sign and zero extension
  mov bl, 0x80
  movsx rax, bl
  expect rax, -128
  movzx eax, bl
  expect eax, 0x80
  mov ecx, -2
  movsxd rdx, ecx
  expect rdx, -2
  ; movsxd (63 /r) at each operation size; nasm spells only movsxd r64, r/m32, the others are db.
  ; Without REX.W it is a 32-bit move (zero-extends, no sign extension), with 66 a 16-bit move into
  ; the low word (the rest kept), and REX.W wins over 66. The reference CPU (AMD) reads the 66 form's
  ; memory source as a dword (corpus/programs/movsxd-o16-page-end), so 4 bytes are readable here.
  mov rcx, 0xdeadbeefcafe8001
  mov rax, -1
  db 0x63, 0xc1               ; movsxd eax, ecx
  expect_value rax, 0xcafe8001
  mov rax, 0x1122334455667788
  db 0x66, 0x63, 0xc1         ; movsxd ax, ecx
  expect_value rax, 0x1122334455668001
  db 0x48, 0x63, 0xc1         ; movsxd rax, ecx
  expect_value rax, 0xffffffffcafe8001
  mov rax, 0x1122334455667788
  db 0x66, 0x48, 0x63, 0xc1   ; o16 movsxd rax, ecx
  expect_value rax, 0xffffffffcafe8001
  push rcx
  mov rax, 0x1122334455667788
  db 0x66, 0x63, 0x04, 0x24   ; movsxd ax, [rsp]
  expect_value rax, 0x1122334455668001
  mov rax, -1
  db 0x63, 0x04, 0x24         ; movsxd eax, [rsp]
  expect_value rax, 0xcafe8001
  movsxd rax, dword [rsp]
  expect_value rax, 0xffffffffcafe8001
  pop rcx
  mov eax, 5
  cdq
  expect edx, 0
  mov ax, -3
  cwd
  expect dx, -1
  ; cqo, cdqe, cwde, cbw, cwd: cwde zero-extends into rax as any 32-bit write; cbw and cwd merge
  mov rax, -5
  cqo
  expect rdx, -1
  mov eax, 0x80000000
  cdqe
  expect_value rax, 0xffffffff80000000
  mov rax, 0x1234567800008000
  cwde
  expect_value rax, 0xffff8000
  mov rax, 0x1234567800000080
  cbw
  expect_value rax, 0x123456780000ff80
  mov eax, 0x8000
  mov rdx, 0x1111111111111111
  cwd
  expect_value rdx, 0x111111111111ffff
  checks_done
