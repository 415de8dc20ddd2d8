; PT_GNU_STACK with PF_X: code copied to the stack runs; exits 5
%define E_PHNUM 2
%macro extra_phdrs 0
  dd 0x6474e551, 7
  dq 0, 0, 0, 0, 0, 16
%endmacro
%include "elf64-header.inc"
_start:
  mov dword [rsp - 16], 0x000005bf   ; bf 05 00 00 00: mov edi, 5
  mov dword [rsp - 12], 0x003cb800   ; b8 3c 00 00 00: mov eax, 60
  mov dword [rsp - 8], 0x050f0000    ; 0f 05: syscall
  lea rax, [rsp - 16]
  jmp rax
filesize equ $ - $$
