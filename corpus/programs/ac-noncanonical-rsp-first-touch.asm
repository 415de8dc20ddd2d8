; RFLAGS.AC set, rsp made non-canonical by bswap, then the first touch of the untouched data page
; (cmova's read): on the reference host this suspends #AC while rsp stays non-canonical, so the
; misaligned 32-bit movsxd (44 63, no REX.W) loads without SIGBUS (fuzz instructions case 9945,
; seed 20261129). Exits 0 if the dword was loaded; without the suspension it would die of SIGBUS.
%define E_PHNUM 2
%define P_FILESZ codeend - $$
%define P_MEMSZ codeend - $$
%macro extra_phdrs 0
  dd 1, 6
  dq 0x1000, 0x401000, 0x401000
  dq data_size, 0x2000
  dq 0x1000
%endmacro
%include "elf64-header.inc"
_start:
  mov rax, 0x40202          ; AC | IF | fixed bit
  push rax
  popf
  mov rbx, 0x40100d
  bswap rsp                 ; non-canonical rsp
  xor eax, eax
  inc eax                   ; flags: CF = ZF = 0, so cmova loads
  cmova sp, [rel data + 14] ; first touch of the data page
  db 0x44, 0x63, 0x83, 0x74, 0, 0, 0 ; movsxd r8d, dword [rbx+0x74] = [0x401081], misaligned
  mov edi, r8d
  sub edi, 0xf2f1f0ef       ; bytes ef f0 f1 f2 at 0x401081
  mov rsp, 0x402800         ; a syscall with a non-canonical rsp is killed (SIGSEGV) on this host
  mov eax, 60
  syscall
codeend:
  times 0x1000 - ($ - $$) db 0
data:
  times 0x81 db 0
  db 0xef, 0xf0, 0xf1, 0xf2
  times 0x200 - ($ - data) db 0
data_size equ $ - data
