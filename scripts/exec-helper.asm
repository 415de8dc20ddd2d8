; golf's native exec helper: `helper MODE PATH ARGV0 ARGV1 ...` runs execve(PATH, [ARGV0, ARGV1,
; ...], envp) with fd 0 set up as MODE says: "r" leaves it as given (golf passes /dev/null
; opened read-only), "c" closes it, "w" replaces it with fd 4 (a read-write socket golf passes and
; keeps open, so writes succeed and reads wait for input, as on a terminal).
; Node's child_process falls back to /bin/sh when execve fails with ENOEXEC, which would run a
; refused ELF file as a shell script; this helper makes the exec itself, directly. It marks fd 3
; and above close-on-exec first; if execve (or the fd 0 set-up) fails it writes the positive errno
; (4 bytes) to fd 3 and exits 127.
; Build: nasm -f bin -i corpus/programs/ scripts/exec-helper.asm -o helper (the bytes are embedded in src/linux/native.ts).
%include "elf64-header.inc"   ; the reference programs' header (nasm -i corpus/programs/)
_start:
  mov rbx, [rsp + 16]      ; argv[1]: the mode
  mov bl, [rbx]
  cmp bl, 'c'
  jne .not_closed
  mov eax, 3               ; close(0)
  xor edi, edi
  syscall
  jmp .checked
.not_closed:
  cmp bl, 'w'
  jne .descriptors
  mov eax, 33              ; dup2(4, 0)
  mov edi, 4
  xor esi, esi
  syscall
.checked:
  test eax, eax
  js .failed
.descriptors:
  mov eax, 436             ; close_range(3, ~0, CLOSE_RANGE_CLOEXEC): descriptors golf itself
  mov edi, 3               ; inherited (not close-on-exec) must not reach the program, whose
  mov esi, -1              ; other fds are closed (the emulator answers EBADF)
  mov edx, 4
  syscall
  mov eax, 72              ; fcntl(3, F_SETFD, FD_CLOEXEC), for kernels before 5.11 (no close_range)
  mov edi, 3
  mov esi, 2
  mov edx, 1
  syscall
  mov eax, 72              ; fcntl(4, F_SETFD, FD_CLOEXEC): the socket's spare copy
  mov edi, 4
  syscall
  mov rcx, [rsp]           ; argc
  lea rdx, [rsp + rcx*8 + 16] ; envp
  mov rdi, [rsp + 24]      ; argv[2]: the path
  lea rsi, [rsp + 32]      ; &argv[3]: the program's argv
  mov eax, 59              ; execve
  syscall
.failed:
  neg eax                  ; errno
  push rax
  mov rsi, rsp
  mov edi, 3
  mov edx, 4
  mov eax, 1               ; write(3, &errno, 4)
  syscall
  mov edi, 127
  mov eax, 60
  syscall
filesize equ $ - $$
