; writes argv[1] followed by a newline; exits with argc
%include "elf64-header.inc"
_start:
  mov rsi, [rsp + 16]
  xor edx, edx
.len:
  cmp byte [rsi + rdx], 0
  je .done
  inc edx
  jmp .len
.done:
  mov byte [rsi + rdx], 10
  inc edx
  mov eax, 1
  mov edi, 1
  syscall
  mov edi, [rsp]
  mov eax, 60
  syscall
filesize equ $ - $$
