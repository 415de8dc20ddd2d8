; Probe for `int 0x80` support on the host: exits with status 42 through the 32-bit system-call
; table. Where IA32 emulation is missing or disabled (or the hypervisor does not deliver int 0x80),
; the process dies with SIGSEGV instead. The bytes are embedded in src/linux/native.ts.
; Build: nasm -f bin scripts/int80-probe.asm -o probe
BITS 64
org 0x400000
  db 0x7f, "ELF", 2, 1, 1, 0
  times 8 db 0
  dw 2, 62
  dd 1
  dq _start
  dq phdr - $$
  dq 0
  dd 0
  dw 64, 56, 1, 64, 0, 0
phdr:
  dd 1, 5
  dq 0, $$, $$
  dq filesize, filesize
  dq 0x1000
_start:
  mov eax, 1
  mov ebx, 42
  int 0x80
filesize equ $ - $$
