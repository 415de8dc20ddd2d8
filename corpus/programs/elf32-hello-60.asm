; A 60-byte ELF32 "Hello, World!\n" (exit 0), worked out by hand for issue 14: the program header at
; offset 4 (Raiter's layout), ET_EXEC, and a load address chosen as code. Loader rules it exercises:
; - the high bytes of p_vaddr (offsets 13-15) and of e_entry (25-27) are the load address
;   0x2524b000: code here, and the same bytes again in e_entry (= p_memsz, since e_phoff = 4);
; - p_filesz (e_version, 20-23) = 0x24b02eb9 is far larger than the file but <= p_memsz: the file
;   mapping reaches past EOF, and p_vaddr + p_filesz is not page aligned, so zeroing the bss start
;   of this read-only segment fails: ignored by 6.7+, fatal up to 6.6 (linux-6.6: SIGSEGV);
; - the bss (p_memsz - p_filesz, about 7 MiB) is anonymous, below the 64 MiB reporting threshold.
; Code: the entry (37) jumps back while ecx is 0; the second time through it falls into the exit.
; mov ecx's immediate (21-24) ends in e_entry's low byte: the entry offset (37 = 0x25) is also the
; load address's top byte, which is the opcode of 'and eax, imm32' at 15 and 27.
BITS 32
base equ 0x2524b000
        db 0x7f, "ELF"            ; 0  e_ident magic
        dd 1                      ; 4  p_type PT_LOAD
        dd 0x043                  ; 8  p_offset: the low 12 bits of p_vaddr
        inc ebx                   ; 12 p_vaddr = base + 0x43: 43 b0 24 25
        mov al, 0x24              ; 13
        db 0x25                   ; 15 and eax, 0x00030002: swallows e_type and e_machine
        dw 2                      ; 16 e_type ET_EXEC (p_paddr)
        dw 3                      ; 18 e_machine EM_386
        mov ecx, base + 46        ; 20 e_version = p_filesz = 0x24b02eb9; 24: e_entry = p_memsz = base + 37
        mov al, 0x24              ; 25 (bytes 25-27 = the load address's high bytes again)
        db 0x25                   ; 27 and eax, 4: swallows e_phoff = p_flags = 4 (PF_R; READ_IMPLIES_EXEC)
        dd 4                      ; 28 e_phoff
        mov dl, 14                ; 32 e_shoff = p_align (ignored)
        int 0x80                  ; 34 write(1, base + 46, 14)
        pop eax                   ; 36 argc = 1: exit
        jecxz $$ + 12             ; 37 entry: ecx is 0 only the first time
        dec ebx                   ; 39
        int 0x80                  ; 40 exit(0)
        dw 0x20                   ; 42 e_phentsize
        dw 1                      ; 44 e_phnum
        db "Hello, World!", 10    ; 46
