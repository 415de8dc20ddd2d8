; Stack and control flow: call/ret, loop/jrcxz, pushfq/popfq/lahf/sahf, syscall's rcx and r11, and
; a store into code already run (this file's segment is writable, P_FLAGS 7, for that).
%define P_FLAGS 7
%include "check.inc"
_start:
  ; call pushes the address of the next instruction and ret returns there; push/pop in between
  ; move rsp by 8 each
  push 9                     ; the slot above rsp when the pop after the call runs
  mov r12, rsp
  mov eax, 42
  call .sub
.return:
  pop rbx
  expect rax, 42
  expect rbx, 9
  lea rdx, [rel .return]
  expect qword [r12 - 8], rdx  ; the return address ret consumed, still below rsp
  lea rdx, [r12 + 8]
  expect rsp, rdx
  jmp .after_sub
.sub:
  push rax
  pop rax
  ret
.after_sub:

  ; loop counts rcx down to 0; jrcxz jumps when rcx is 0 (here over a ud2, which would be SIGILL)
  mov ecx, 5
  loop $
  expect rcx, 0
  jrcxz .zero
  ud2
.zero:

  ; pushfq pushes rflags; popfq and lahf read them back
  push CF | ZF | IF | 2
  popfq
  pushfq
  expect qword [rsp], CF | ZF | IF | 2
  popfq
  lahf
  expect ah, CF | ZF | 2
  ; sahf sets SF ZF AF PF CF from ah and leaves OF
  mov ah, SF | ZF | AF | PF | CF
  sahf
  expect_flags ARITH, SF | ZF | AF | PF | CF
  ; popfq with IF clear and IOPL 3 in the image: at CPL 3 IF and IOPL keep their values (IF set,
  ; IOPL 0), the arithmetic flags are taken
  push 0x3000 | SF | ZF | AF | PF | CF
  popfq
  expect_flags -1, IF | 2 | SF | ZF | AF | PF | CF

  ; syscall: rcx = the next instruction, r11 = rflags (IF, the fixed bit 1 and CF here)
  push IF | 2
  popfq
  lea r13, [rel .after_syscall]
  stc
  mov eax, 39
  syscall
.after_syscall:
  expect rcx, r13
  expect r11, IF | 2 | CF

  ; a store into code already executed is seen the next time it runs: the second pass through
  ; .smc loads the immediate the first pass wrote
  xor ebx, ebx
.smc:
  mov al, 1
  inc bl
  cmp bl, 2
  je .smc_done
  mov byte [rel .smc + 1], 7
  jmp .smc
.smc_done:
  expect al, 7
  checks_done
