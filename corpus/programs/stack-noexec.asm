; no PT_GNU_STACK: the stack is not executable, jumping there faults
%include "elf64-header.inc"
_start:
  mov dword [rsp - 16], 0x000005bf   ; mov edi, 5
  mov dword [rsp - 12], 0x003cb800   ; mov eax, 60
  mov dword [rsp - 8], 0x050f0000    ; syscall
  lea rax, [rsp - 16]
  jmp rax
filesize equ $ - $$
